import fc from "fast-check";

/*
 * Property runs are reproducible: a fixed seed unless FC_SEED is set (e.g. to explore other inputs
 * locally), and fast-check prints the seed and the shrunk counterexample's path when a property fails,
 * so `FC_SEED=<seed> npx jest tests/properties` replays it. Run counts keep `npm test` within budget.
 */
export const SEED = process.env.FC_SEED === undefined ? 20261202 : Number(process.env.FC_SEED);

export function check<T>(property: fc.IProperty<T>, numRuns: number): void {
  fc.assert(property, { seed: SEED, numRuns, verbose: fc.VerbosityLevel.Verbose });
}
