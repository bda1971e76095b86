// AWS clients, made once per container at module scope so warm invocations reuse connections.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// Endpoint overrides exist only for the local stack (dynalite, s3rver); in AWS they are unset.
const dynamoEndpoint = process.env.DYNAMODB_ENDPOINT;
const s3Endpoint = process.env.S3_ENDPOINT;

export function makeDocumentClient(endpoint = dynamoEndpoint): DynamoDBDocumentClient {
  const client = new DynamoDBClient(endpoint ? { endpoint } : {});
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
}

export function makeS3Client(endpoint = s3Endpoint): S3Client {
  return new S3Client(endpoint ? { endpoint, forcePathStyle: true } : {});
}

export const clients = {
  get dynamo(): DynamoDBDocumentClient {
    cached.dynamo ??= makeDocumentClient();
    return cached.dynamo;
  },
  get s3(): S3Client {
    cached.s3 ??= makeS3Client();
    return cached.s3;
  },
  get sns(): SNSClient {
    cached.sns ??= new SNSClient({});
    return cached.sns;
  },
  get sqs(): SQSClient {
    cached.sqs ??= new SQSClient({});
    return cached.sqs;
  },
  get lambda(): LambdaClient {
    cached.lambda ??= new LambdaClient({});
    return cached.lambda;
  },
};

const cached: {
  dynamo?: DynamoDBDocumentClient;
  s3?: S3Client;
  sns?: SNSClient;
  sqs?: SQSClient;
  lambda?: LambdaClient;
} = {};
