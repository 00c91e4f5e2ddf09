interface StackOrPlan {
  resource?: Record<string, Record<string, unknown>>;
  planned_values?: { root_module?: { resources?: unknown[] } };
}

/** A cdk.tf.json's resource blocks, or a plan's root-module resources: the size a bench row reports. */
export function countResources(document: unknown): number {
  const { resource, planned_values: planned } = document as StackOrPlan;
  if (planned) return planned.root_module?.resources?.length ?? 0;
  return Object.values(resource ?? {}).reduce((sum, named) => sum + Object.keys(named).length, 0);
}
