import { Testing } from "cdktf";

// Registers cdktf's matchers (toHaveResource, toHaveResourceWithProperties, …) for every test file.
Testing.setupJest();

// cdktf records a full stack trace for every token it creates, kept only to quote in the message of
// an error about that token. Under Jest every trace also runs through Jest's source-map support: a
// tenth of the suites' CPU. No trace reaches a synthesized stack, so tests create tokens without one.
jest.mock("cdktf/lib/tokens/private/stack-trace", () => ({ captureStackTrace: (): string[] => [] }));
