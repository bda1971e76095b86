// The SDK clients' default credential chain as the Lambda bundles have it: esbuild aliases
// @aws-sdk/credential-provider-node to this module (PROJECT_BUNDLING in infra/constructs/project-function.ts).
// Lambda gives every function its execution role's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN, which is the first link of the SDK's chain (fromEnv) and the only one that answers there.
// The other links (SSO, INI profiles, credential processes, web identity, login, container and instance metadata)
// and the STS/SSO/sign-in clients they load never run in Lambda, yet cost each bundle ~110 KB and its cold
// start ~15 ms (docs/benchmarks.md, "Module init"). Tests, scripts and the local stack run from source and
// keep the SDK's full chain.
import { fromEnv } from '@aws-sdk/credential-provider-env';

type FromEnvInit = Parameters<typeof fromEnv>[0];

/** Same signature as @aws-sdk/credential-provider-node's `defaultProvider`, which the clients' runtime config calls. */
export function defaultProvider(init?: FromEnvInit): ReturnType<typeof fromEnv> {
  const fromLambdaEnvironment = fromEnv(init);
  return async (identityProperties) => {
    try {
      return await fromLambdaEnvironment(identityProperties);
    } catch (error) {
      throw new Error(
        'No AWS credentials in the environment: this bundle reads only the credentials Lambda sets ' +
          '(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); see shared/aws/lambda-credentials.ts',
        { cause: error },
      );
    }
  };
}
