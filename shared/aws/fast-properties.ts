// The SDK's middlewares copy the client's resolved config into fresh objects on every request
// (`{ ...config, ...context }` to serialize and again to deserialize, `{ ...config }` to resolve the endpoint
// and to build the signer). That config, about 50 entries, is built by a chain of `Object.assign`s, after
// which V8 keeps it as a dictionary (a hash table), and copying a 50-entry dictionary costs about 8 µs, against
// under 1 µs for the same entries in V8's fast layout. V8 gives an object the fast layout once it is the
// prototype that a cached property load goes through (what Bluebird's `toFastProperties` relies on).
//
// Nothing observable changes: the same object, the same properties, only its layout in memory. Should a V8
// stop doing this, the speed is all that is lost. test/aws/fast-properties.test.ts checks the layout itself.

/** Loads through the prototype before V8 caches the load and lays the prototype out fast (16 is ample). */
const LOADS = 16;

/** `target`, unchanged but for its layout: V8 holds its properties fast, as it does an object literal's. */
export function withFastProperties<T extends object>(target: T): T {
  function Holder(): void {}
  Holder.prototype = target;
  const receiver = new (Holder as unknown as new () => { constructor: unknown })();
  const load = () => receiver.constructor;
  for (let index = 0; index < LOADS; index++) load();
  return target;
}
