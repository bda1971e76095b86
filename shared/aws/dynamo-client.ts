// The DynamoDB document client, made once per container at module scope so warm invocations reuse
// connections. One module per AWS client: a function's bundle then holds only the clients it imports.
import {
  DeleteItemCommand,
  type DeleteItemCommandInput,
  DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  PutItemCommand,
  type PutItemCommandInput,
  type QueryCommandInput,
  QueryCommand as QueryItemsCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type TranslateConfig,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { withFastProperties } from './fast-properties';

const MARSHALL_OPTIONS = { removeUndefinedValues: true, convertEmptyValues: false } as const;
/** A fresh object per client: lib-dynamodb writes its defaults into the options it is given. */
const translateConfig = (): TranslateConfig => ({ marshallOptions: { ...MARSHALL_OPTIONS } });

type Attributes = Record<string, unknown>;
const toAttributeValues = (values: Attributes | undefined) =>
  values && marshall(values, { ...MARSHALL_OPTIONS, convertTopLevelContainer: false });
const fromAttributeValues = (values: Parameters<typeof unmarshall>[0] | undefined) =>
  values && unmarshall(values);

/**
 * The document client, with Get, Put, Update and Delete by key (every write of the ingest path) and Query
 * (every listing and feed) sent as plain DynamoDB commands through smithy's `cacheMiddleware`, which resolves
 * a command class's middleware stack once instead of on every request. lib-dynamodb refuses that option,
 * because its commands bind their own input into the stack they resolve, so this client marshals those five
 * itself (util-dynamodb, with the options lib-dynamodb is given) and lets lib-dynamodb send the others (the
 * batch commands, Scan, and any command with the legacy `Expected`, `AttributeUpdates`, `KeyConditions` or
 * `QueryFilter`).
 *
 * A cached stack shares one context object across concurrent requests, and the endpoint middleware writes
 * the resolved endpoint into it: sound while every request of a client resolves to the same endpoint, as
 * here (one region; tables are named, never given as ARNs). Measured against dynalite: 0.87-1.37 ms of the
 * client's CPU per UpdateItem through lib-dynamodb, 0.53-0.69 ms through the cached stack
 * (docs/benchmarks.md, "the SDK's cost per request").
 */
class CachedStackDocumentClient extends DynamoDBDocumentClient {
  constructor(private readonly plain: DynamoDBClient) {
    super(plain, translateConfig());
    // After lib-dynamodb's constructor, which throws when it sees the option. The config object is shared,
    // so every lib-dynamodb command below is sent with options (`{}`), which bypasses the cache.
    plain.config.cacheMiddleware = true;
    // The middlewares copy the config on every request (fast-properties.ts); the document client shares it.
    withFastProperties(plain.config);
  }

  // biome-ignore lint/suspicious/noExplicitAny: the overloads of Client.send are re-declared by the base class
  override send(command: any, optionsOrCallback?: any, callback?: any): any {
    if (optionsOrCallback === undefined && callback === undefined) {
      const sent = this.sendByKey(command);
      if (sent) return sent;
    }
    return super.send(command, optionsOrCallback ?? {}, callback);
  }

  private sendByKey(command: unknown): Promise<unknown> | undefined {
    const { input } = command as { input?: Record<string, unknown> };
    if (input === undefined || LEGACY_PARAMETERS.some((name) => input[name] !== undefined)) return undefined;
    if (command instanceof GetCommand) {
      return this.plain
        .send(new GetItemCommand(marshalled<GetItemCommandInput>(input, ['Key'])))
        .then(({ Item, ...output }) => ({ ...output, Item: fromAttributeValues(Item) }));
    }
    if (command instanceof PutCommand) {
      const marshalledInput = marshalled<PutItemCommandInput>(input, ['Item', 'ExpressionAttributeValues']);
      return this.plain.send(new PutItemCommand(marshalledInput)).then(withPlainAttributes);
    }
    if (command instanceof UpdateCommand) {
      const marshalledInput = marshalled<UpdateItemCommandInput>(input, ['Key', 'ExpressionAttributeValues']);
      return this.plain.send(new UpdateItemCommand(marshalledInput)).then(withPlainAttributes);
    }
    if (command instanceof DeleteCommand) {
      const marshalledInput = marshalled<DeleteItemCommandInput>(input, ['Key', 'ExpressionAttributeValues']);
      return this.plain.send(new DeleteItemCommand(marshalledInput)).then(withPlainAttributes);
    }
    if (command instanceof QueryCommand) {
      const marshalledInput = marshalled<QueryCommandInput>(input, [
        'ExclusiveStartKey',
        'ExpressionAttributeValues',
      ]);
      return this.plain
        .send(new QueryItemsCommand(marshalledInput))
        .then(({ Items, LastEvaluatedKey, ...output }) => ({
          ...output,
          Items: Items?.map((item) => unmarshall(item)),
          LastEvaluatedKey: fromAttributeValues(LastEvaluatedKey),
        }));
    }
    return undefined;
  }
}

/** Parameters lib-dynamodb marshals that this client does not: a command that uses one goes through lib-dynamodb. */
const LEGACY_PARAMETERS = ['Expected', 'AttributeUpdates', 'KeyConditions', 'QueryFilter'] as const;

/** `input`, with the named maps of plain values as attribute-value maps: the plain command's input. */
function marshalled<Input>(input: object, fields: readonly string[]): Input {
  const copy: Record<string, unknown> = { ...input };
  for (const field of fields) copy[field] = toAttributeValues(copy[field] as Attributes | undefined);
  return copy as Input;
}

function withPlainAttributes<T extends { Attributes?: Parameters<typeof unmarshall>[0] }>({
  Attributes,
  ...output
}: T) {
  return { ...output, Attributes: fromAttributeValues(Attributes) };
}

/**
 * Connections per client. An ingest invocation sends the claims of its 100 records at once, then one counter
 * update per topic of the batch (about 120 for 100 zh files): with the SDK's default of 50 sockets, the rest
 * waited in the agent's queue for a connection to come free. Lambda allows 1,024 open files.
 */
export const DYNAMODB_MAX_SOCKETS = 256;

/** The endpoint override exists only for the local stack (dynalite); in AWS it is unset. */
export function makeDocumentClient(endpoint = process.env.DYNAMODB_ENDPOINT): DynamoDBDocumentClient {
  const sockets = { maxSockets: DYNAMODB_MAX_SOCKETS };
  return new CachedStackDocumentClient(
    new DynamoDBClient({
      ...(endpoint ? { endpoint } : {}),
      requestHandler: { httpAgent: sockets, httpsAgent: sockets },
    }),
  );
}

export const dynamo = makeDocumentClient();
