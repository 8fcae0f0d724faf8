#!/usr/bin/env node
// `npx jo ...`: runs the TypeScript CLI through tsx (npx puts the project's Node 22 first on PATH).
import { register } from 'tsx/esm/api';

register();
await import('../cli/jo.ts');
