/** Anything that stops the gate from giving a verdict: exit code 2, never "no violations". */
export class GateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GateError";
  }
}
