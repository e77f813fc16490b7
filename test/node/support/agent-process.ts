import { type ChildProcess, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { KubeEmulator } from "../../emulators/kube";
import { ROOT } from "./server";

/**
 * A kubeconfig for an emulated cluster with its private CA, as the agent beside it reads it
 * (KUBECONFIG): the only way anything but the emulator trusts that CA.
 */
export async function writeAgentKubeconfig(path: string, kube: KubeEmulator, cluster: string): Promise<string> {
  await writeFile(
    path,
    [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      `- name: ${cluster}\n  cluster:\n    server: ${kube.url}\n    certificate-authority-data: ${kube.caData}`,
      `users:\n- name: agent\n  user:\n    token: ${kube.token}`,
      `contexts:\n- name: agent\n  context:\n    cluster: ${cluster}\n    user: agent`,
      "current-context: agent",
      "",
    ].join("\n"),
  );
  return path;
}

/** The agent as a process of its own (`agent/main.ts`), looking for work every second. */
export function spawnAgent(url: string, kubeconfig: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", join(ROOT, "agent/main.ts")], {
    cwd: ROOT,
    // Nobody reads its log here: a pipe left unread would fill and stall the agent.
    stdio: "ignore",
    env: {
      ...process.env,
      FLEETPLANE_URL: url,
      KUBECONFIG: kubeconfig,
      FLEETPLANE_WAIT_SECONDS: "1",
      FLEETPLANE_HEARTBEAT_SECONDS: "1",
      PROBE_PORT: "0",
      ...env,
    },
  });
}
