import { createSyncFn } from 'synckit';

// MJML 5 compiles asynchronously; the workspace loads synchronously (CDK synth, `jo`, the local runtime). The
// compiler runs in a worker thread that synckit waits for, started on the first MJML template of a process.
// Sending never compiles MJML: the loaded template holds the HTML.

export interface MjmlResult {
  html?: string;
  errors: Array<{ line: number; message: string }>;
}

let compile: ((source: string) => MjmlResult) | undefined;

/** The HTML of an MJML document, or its errors (strict validation: any error refuses it). */
export function compileMjml(source: string): MjmlResult {
  compile ??= createSyncFn(new URL('./mjml-worker.mjs', import.meta.url).pathname) as (source: string) => MjmlResult;
  return compile(source);
}
