import { StalledError, TransientError } from "../../core/errors";
import type { KubeObject } from "../../core/tenants/manifests";
import { classifyKubeError, type KubeAccess } from "../kube/access";

/** Server-side apply, saying which object the API server refused. */
export async function apply(kube: KubeAccess, object: KubeObject) {
  try {
    await kube.apply(object as never);
  } catch (error) {
    const where = `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ""}${object.metadata.name}`;
    const problem = classifyKubeError(error, "the cluster");
    const message = `applying ${where}: ${problem.message}`;
    throw problem.retryable ? new TransientError(problem.code, message) : new StalledError(problem.code, message);
  }
}
