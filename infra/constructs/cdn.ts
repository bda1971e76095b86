// CloudFront in front of the HTTP API: caches what the functions allow (Cache-Control, ETag), compresses,
// tells the origin which host the reader used, and never caches the admin routes.
import { Duration, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Query parameters the API reads; they are the only ones in the cache key and the only ones forwarded. */
export const CACHE_KEY_QUERY_STRINGS = [
  'limit',
  'cursor',
  'q',
  'topic',
  'tz',
  'leap',
  'lang',
  'days',
] as const;

/** Paths that take writes and bearer tokens: never cached, every method and viewer header passed on. */
export const WRITE_PATHS = ['/subscriptions', '/subscriptions/*'] as const;

/** Carries the viewer's Host to the API, which builds absolute links from it when PUBLIC_BASE_URL is unset. */
export const FORWARDED_HOST_HEADER = 'x-forwarded-host';

/**
 * Viewer-request function: copy the viewer's Host into x-forwarded-host. The Host header itself cannot be
 * forwarded, because API Gateway routes on its own execute-api host name. A client-sent x-forwarded-host is
 * always overwritten, so it cannot be used to forge links.
 *
 * It also reduces Accept to the one choice the API makes with it (shared/web/negotiate.ts: a page when
 * text/html ranks above application/json, JSON otherwise), so that Accept can be in the cache key without
 * splitting the cache into one entry per browser's Accept string. Only the pages' paths read Accept.
 */
const FORWARD_HOST_CODE = `function quality(accept, type, subtype) {
  var exact = -1, wide = -1, any = -1;
  var ranges = accept.split(',');
  for (var i = 0; i < ranges.length; i++) {
    var params = ranges[i].split(';');
    var range = params[0].trim().toLowerCase().split('/');
    if (range.length < 2 || !range[0] || !range[1]) continue;
    var q = 1;
    for (var j = 1; j < params.length; j++) {
      var param = params[j].trim().toLowerCase();
      if (param.indexOf('q=') === 0) { q = Number(param.slice(2)); break; }
    }
    if (!(q >= 0 && q <= 1)) continue;
    if (range[0] === type && range[1] === subtype) { if (exact < 0) exact = q; }
    else if (range[0] === type && range[1] === '*') { if (wide < 0) wide = q; }
    else if (range[0] === '*' && range[1] === '*') { if (any < 0) any = q; }
  }
  return exact >= 0 ? exact : wide >= 0 ? wide : any >= 0 ? any : 0;
}
function handler(event) {
  var request = event.request;
  if (request.headers.host) {
    request.headers['${FORWARDED_HOST_HEADER}'] = { value: request.headers.host.value };
  } else {
    delete request.headers['${FORWARDED_HOST_HEADER}'];
  }
  var accept = request.headers.accept ? request.headers.accept.value : '';
  var html = quality(accept, 'text', 'html') > quality(accept, 'application', 'json');
  request.headers.accept = { value: html ? 'text/html' : 'application/json' };
  return request;
}`;

export interface CdnProps {
  /** Host name of the API's execute-api endpoint. */
  readonly originHost: string;
  /** Paths that must never be cached (the IAM-authorized admin routes). */
  readonly uncachedPaths: readonly string[];
  readonly logsBucket: s3.IBucket;
  readonly domainName?: string;
  readonly certificateArn?: string;
}

export class Cdn extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly cachePolicy: cloudfront.CachePolicy;

  constructor(scope: Construct, id: string, props: CdnProps) {
    super(scope, id);

    const origin = new origins.HttpOrigin(props.originHost, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });

    // TTLs: min 0 and default 0 make CloudFront follow the origin's Cache-Control exactly (no header: not
    // cached); max bounds a mistaken long max-age. Conditional requests (If-None-Match/If-Modified-Since)
    // are answered by CloudFront from its cached ETag/Last-Modified, and it revalidates with the origin
    // the same way. Cookies are neither in the key nor forwarded. The forwarded-host header is part of the
    // key, which also forwards it: a feed rendered for one host name is never served under another. So is
    // Accept, reduced by the viewer-request function to text/html or application/json: a browser's page
    // and an API client's JSON on the same path (`/`, `/topics`, `/on-this-day/…`) are cached apart.
    this.cachePolicy = new cloudfront.CachePolicy(this, 'ApiCachePolicy', {
      comment:
        'Follows origin Cache-Control; keyed on viewer host, page-or-JSON and the API query parameters',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.days(1),
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList(FORWARDED_HOST_HEADER, 'accept'),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.allowList(...CACHE_KEY_QUERY_STRINGS),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const forwardHost = new cloudfront.Function(this, 'ForwardHost', {
      comment: `Copies the viewer Host into ${FORWARDED_HOST_HEADER}; reduces Accept to page or JSON`,
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(FORWARD_HOST_CODE),
    });

    const customDomain =
      props.domainName && props.certificateArn
        ? {
            domainNames: [props.domainName],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            sslSupportMethod: cloudfront.SSLMethod.SNI,
          }
        : {};

    // Admin routes: CloudFront replaces Host with the origin's, so a SigV4 signature made for the CloudFront
    // host cannot verify at API Gateway; operators call the API endpoint directly. The behaviour exists so
    // that whatever the origin answers on these paths (a 403 without a valid signature) is never cached.
    const uncached: cloudfront.BehaviorOptions = {
      origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      compress: true,
    };

    // Subscriptions: POST and DELETE pass, and so does Authorization (all viewer headers but Host, which
    // API Gateway needs to be its own). The forwarded-host function runs so links use the viewer's host.
    const writes: cloudfront.BehaviorOptions = {
      origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      functionAssociations: [
        { function: forwardHost, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
      ],
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'News event feeds',
      ...customDomain,
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
        cachePolicy: this.cachePolicy,
        compress: true,
        functionAssociations: [
          { function: forwardHost, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      additionalBehaviors: {
        ...Object.fromEntries(props.uncachedPaths.map((path) => [path, uncached])),
        ...Object.fromEntries(WRITE_PATHS.map((path) => [path, writes])),
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: props.logsBucket,
      logFilePrefix: 'cloudfront/',
    });

    const acknowledge = (id: string, reason: string): void =>
      Validations.of(this.distribution).acknowledge({ id, reason });
    acknowledge(
      'AwsSolutions-CFR1',
      'The feeds are public news for readers anywhere; there is no legal or licensing reason to restrict countries.',
    );
    acknowledge(
      'AwsSolutions-CFR2',
      'No WAF: a web ACL costs a fixed monthly fee that dwarfs this service at low traffic, its bot challenges would break feed readers (which cannot solve them) on /feed.*, /topics/*/feed.* and /opml, and the origin is already rate-limited by API Gateway stage throttling.',
    );
    if (!props.domainName) {
      acknowledge(
        'AwsSolutions-CFR4',
        'Without a custom domain the distribution uses the *.cloudfront.net certificate, whose security policy CloudFront fixes; set the domainName and certificateArn context to serve TLSv1.2_2021 with SNI.',
      );
    }
  }
}
