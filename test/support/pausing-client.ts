// A DynamoDB client that stops before the first command matching `when` until the test resumes it: makes
// one interleaving of concurrent writers happen on demand.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface CommandInput {
  Item?: Record<string, unknown>;
  Key?: Record<string, unknown>;
}

export interface PausingClient {
  client: DynamoDBDocumentClient;
  /** Resolves when a matching command has been reached (and is held). */
  paused: Promise<void>;
  resume(): void;
}

export function pausingClient(
  doc: DynamoDBDocumentClient,
  when: (input: CommandInput) => boolean,
): PausingClient {
  let reached!: () => void;
  let resume!: () => void;
  const paused = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const gate = new Promise<void>((resolve) => {
    resume = resolve;
  });
  const client = new Proxy(doc, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: { input: CommandInput }) => {
        if (when(command.input)) {
          reached();
          await gate;
        }
        return target.send(command as never);
      };
    },
  });
  return { client, paused, resume };
}
