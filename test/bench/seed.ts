import { createClient } from "@libsql/client";

/** Seeds clusters straight into the store (the API path is B2's subject, not B3's). */
export async function seedClusters(file: string, from: number, to: number) {
  const db = createClient({ url: `file:${file}` });
  const now = Date.now();
  for (let start = from; start < to; start += 500) {
    const rows: string[] = [];
    const args: (string | number)[] = [];
    for (let i = start; i < Math.min(to, start + 500); i++) {
      const id = `cls_${String(i).padStart(26, "0")}`;
      const labels = JSON.stringify({
        tier: i % 10 === 0 ? "prod" : "dev",
        region: i % 2 ? "eu-west-1" : "us-east-1",
        shard: String(i % 64),
        // A rare label (1 in 1,000): a page of it is where a scan of every row would show.
        ...(i % 1000 === 7 ? { canary: "true" } : {}),
      });
      const spec = JSON.stringify({
        class: "imported",
        provider: "imported",
        connection: { server: "https://127.0.0.1:6443" },
      });
      const status = JSON.stringify({ phase: "Provisioned", conditions: [], observedGeneration: 1 });
      rows.push("(?, ?, ?, ?, ?, 1, 1, ?, ?, 'ccl_bench', 'imported', 'production', 'eu-west-1', 'Provisioned')");
      args.push(id, `fleet-${i}`, labels, spec, status, now, now);
    }
    await db.execute({
      sql: `INSERT INTO clusters (id, name, labels, spec, status, generation, revision, created_at, updated_at, class_id, provider, environment, region, phase) VALUES ${rows.join(",")}`,
      args,
    });
  }
  db.close();
}
