// The zod every schema in shared/ uses: zod/mini with zod's English messages. Classic zod attaches its
// methods to each schema as it is built and pulls in code nothing here calls (toJSONSchema): at import that
// costs every function ~20 ms of its cold start. zod/mini validates with the same core and the same
// messages (docs/benchmarks.md, "Module init").
import { en } from 'zod/locales';
import { config } from 'zod/mini';

// Classic zod loads English messages at import; zod/mini loads none ("Invalid input" for every issue).
config(en());

export * from 'zod/mini';
