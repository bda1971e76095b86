// Publishes the day's SNS messages with PublishBatch: at most 10 entries and 256 KiB a call (SNS limits).
import { PublishBatchCommand, type PublishBatchRequestEntry, type SNSClient } from '@aws-sdk/client-sns';
import type { SnsMessage } from './messages';

export type PublishOutcome = { topic: string; messageId: string } | { topic: string; error: string };

export interface SnsPublisher {
  publish(messages: SnsMessage[]): Promise<PublishOutcome[]>;
}

const maxEntries = 10;
const maxBatchBytes = 262_144;

function entryOf(message: SnsMessage, index: number): PublishBatchRequestEntry {
  return {
    Id: `m${index}`,
    Subject: message.subject,
    Message: message.message,
    MessageStructure: 'json',
    // Subscribers filter on this with an SNS filter policy: {"topic": ["<slug>", ...]}.
    MessageAttributes: { topic: { DataType: 'String', StringValue: message.topic } },
  };
}

function sizeOf(entry: PublishBatchRequestEntry): number {
  // Message, subject and the attribute's name, type and value all count towards the payload size.
  return (
    Buffer.byteLength(entry.Message ?? '') +
    Buffer.byteLength(entry.Subject ?? '') +
    Buffer.byteLength('topicString') +
    Buffer.byteLength(entry.MessageAttributes?.topic?.StringValue ?? '')
  );
}

/** Greedy packing in order: a batch closes at 10 entries or when the next would pass 256 KiB. */
export function batchesOf(
  messages: SnsMessage[],
): { entries: PublishBatchRequestEntry[]; messages: SnsMessage[] }[] {
  const batches: { entries: PublishBatchRequestEntry[]; messages: SnsMessage[]; bytes: number }[] = [];
  messages.forEach((message, index) => {
    const entry = entryOf(message, index);
    const bytes = sizeOf(entry);
    const last = batches.at(-1);
    if (last && last.entries.length < maxEntries && last.bytes + bytes <= maxBatchBytes) {
      last.entries.push(entry);
      last.messages.push(message);
      last.bytes += bytes;
    } else batches.push({ entries: [entry], messages: [message], bytes });
  });
  return batches.map(({ entries, messages: batch }) => ({ entries, messages: batch }));
}

export function snsPublisher(client: SNSClient, topicArn: string): SnsPublisher {
  return {
    async publish(messages) {
      const outcomes: PublishOutcome[] = [];
      for (const batch of batchesOf(messages)) {
        const result = await client.send(
          new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: batch.entries }),
        );
        const byId = new Map(batch.entries.map((entry, i) => [entry.Id, batch.messages[i] as SnsMessage]));
        for (const success of result.Successful ?? []) {
          const message = byId.get(success.Id);
          if (message) outcomes.push({ topic: message.topic, messageId: success.MessageId ?? '' });
        }
        for (const failure of result.Failed ?? []) {
          const message = byId.get(failure.Id);
          if (message)
            outcomes.push({ topic: message.topic, error: `${failure.Code}: ${failure.Message ?? ''}` });
        }
      }
      return outcomes;
    },
  };
}
