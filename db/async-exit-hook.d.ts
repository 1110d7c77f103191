// The one function of async-exit-hook (no published types) that db/embedded.ts uses.
declare module "async-exit-hook" {
  const exitHook: { unhookEvent(event: string): void };
  export default exitHook;
}
