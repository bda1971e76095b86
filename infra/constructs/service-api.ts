// The HTTP API (payload 2.0): public read routes on the API function, IAM-authorized admin routes on the
// admin function, one $default stage with throttling and JSON access logs.
import { Aws, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Public, read-only routes (GET and HEAD) served by the API function. */
export const PUBLIC_ROUTES = [
  '/',
  '/topics',
  '/topics/{slug}',
  '/topics/{slug}/{feed}',
  '/feed.rss',
  '/feed.atom',
  '/feed.json',
  '/events/{date}/{slug}',
  '/on-this-day',
  '/on-this-day/{monthDay}',
  '/opml',
  '/assets/{asset}',
] as const;

/**
 * Subscription routes served by the API function: public by design (anyone may subscribe), the token in
 * `Authorization: Bearer` guards reading and deleting, and writes are rate-limited per client.
 */
export const SUBSCRIPTION_ROUTES = [
  { path: '/subscriptions', methods: ['POST'] },
  { path: '/subscriptions/{id}', methods: ['GET', 'HEAD', 'DELETE'] },
] as const;

/** Operator routes (GET) served by the admin function; callers sign with SigV4 (IAM auth). */
export const ADMIN_ROUTES = ['/stats', '/rejections'] as const;
/** Operator routes that act (POST), on the admin function behind the same IAM auth; never through CloudFront. */
export const ADMIN_POST_ROUTES = ['/reprocess'] as const;

export interface ServiceApiProps {
  readonly apiName: string;
  readonly publicFunction: lambda.IFunction;
  readonly adminFunction: lambda.IFunction;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetention: logs.RetentionDays;
}

export class ServiceApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  /** `<id>.execute-api.<region>.amazonaws.com`: the origin host for CloudFront. */
  readonly endpointHost: string;

  constructor(scope: Construct, id: string, props: ServiceApiProps) {
    super(scope, id);

    this.api = new apigw.HttpApi(this, 'HttpApi', {
      apiName: props.apiName,
      description: 'News event feeds: public reads and IAM-authorized admin reads',
      // The stage is created below so that it can carry throttling and access logs.
      createDefaultStage: false,
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            userAgent: '$context.identity.userAgent',
            caller: '$context.identity.userArn',
          }),
        ),
      },
    });
    this.endpointHost = `${this.api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;

    // One invoke permission per function for this API (not one per route): each function serves only it.
    const permissions = { scopePermissionToRoute: false };
    const publicIntegration = new HttpLambdaIntegration('PublicReads', props.publicFunction, permissions);
    for (const path of PUBLIC_ROUTES) {
      const methods = [apigw.HttpMethod.GET, apigw.HttpMethod.HEAD];
      for (const route of this.api.addRoutes({ path, methods, integration: publicIntegration })) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `GET/HEAD ${path} is a public, read-only feed route meant for anonymous feed readers and browsers; it is throttled per stage and served through CloudFront.`,
        });
      }
    }

    for (const { path, methods } of SUBSCRIPTION_ROUTES) {
      const httpMethods = methods.map((method) => apigw.HttpMethod[method]);
      for (const route of this.api.addRoutes({
        path,
        methods: httpMethods,
        integration: publicIntegration,
      })) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${methods.join('/')} ${path}: anyone may subscribe; reading and deleting a subscription need its bearer token, checked by the function (stored hashed); writes are rate-limited per client.`,
        });
      }
    }

    const adminIntegration = new HttpLambdaIntegration('AdminReads', props.adminFunction, permissions);
    const iam = new HttpIamAuthorizer();
    const adminRoutes = [
      ...ADMIN_ROUTES.map((path) => ({ path, method: apigw.HttpMethod.GET })),
      ...ADMIN_POST_ROUTES.map((path) => ({ path, method: apigw.HttpMethod.POST })),
    ];
    for (const { path, method } of adminRoutes) {
      this.api.addRoutes({ path, methods: [method], integration: adminIntegration, authorizer: iam });
    }
  }

  /** Invoke URL of the $default stage, ending in `/`. */
  get url(): string {
    return this.stage.url;
  }
}
