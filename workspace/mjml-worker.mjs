import { runAsWorker } from 'synckit';
import mjml2html from 'mjml';

// The MJML compiler, in a worker (see mjml.ts). mj-include is ignored: a template reaches no file but its
// fragments and layouts, which the loader inlines.
runAsWorker(async (source) => {
  try {
    const result = await mjml2html(source, { validationLevel: 'strict', ignoreIncludes: true, minify: false, beautify: false });
    return { html: result.html, errors: [] };
  } catch (error) {
    const errors = Array.isArray(error?.errors) && error.errors.length > 0 ? error.errors : [{ line: 1, message: String(error?.message ?? error) }];
    return { errors: errors.map((e) => ({ line: Number(e.line) || 1, message: String(e.message) })) };
  }
});
