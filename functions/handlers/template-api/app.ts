import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import { previewTemplate, ProofError, sendProof, type ProofDeps } from '../../domain/proofs';
import { loadProfile } from '../../domain/profile-writes';
import { linksOf, type SendDeps } from '../../domain/send-message';
import { TRANSACTIONAL } from '../../domain/consent';
import type { Log, ProfileStore, TemplateStore } from '../../ports';
import { HttpError, httpErrors, json, jsonBody } from '../http';
import { operationOf, type OperationsOf } from '../routes';
import { previewSchema, proofSchema } from './schema';

// POST /templates/{id}/preview: the template rendered for a profile, nothing sent. POST /templates/{id}/proof:
// that rendering sent to a proof list of rules.json, marked as a proof; no journey, report, cap or ledger sees it.

export interface TemplateApiDeps extends Omit<ProofDeps, 'proofLists'> {
  templates: TemplateStore;
  profiles: ProfileStore;
  proofLists: () => ProofDeps['proofLists'];
  unsubscribe?: SendDeps['unsubscribe'];
  log: Log;
}

type Body = z.output<typeof previewSchema> & { list?: string };

async function inputOf(name: string, body: Body, deps: TemplateApiDeps) {
  const template = deps.templates.template(name);
  if (!template) throw new HttpError(404, 'NotFound', `no template "${name}"`);
  const profile = await loadProfile(deps.profiles, body.profileId);
  if (!profile) throw new HttpError(404, 'NotFound', `no profile "${body.profileId}"`);
  const links = await linksOf(profile.id, template.channel, template.category ?? TRANSACTIONAL, deps.unsubscribe);
  const input = {
    profile: { id: profile.id, attributes: profile.attributes },
    ...(body.event ? { event: body.event } : {}),
    ...(body.context ? { context: body.context } : {}),
    ...(body.locale ? { locale: body.locale } : {}),
    ...(deps.unsubscribe ? { links } : {}),
  };
  return { template, input };
}

const OPERATIONS: Record<OperationsOf<'templateApi'>, (name: string, body: Body, deps: TemplateApiDeps) => Promise<APIGatewayProxyResultV2>> = {
  async previewTemplate(name, body, deps) {
    const { template, input } = await inputOf(name, body, deps);
    return json(200, previewTemplate(name, template, input));
  },
  async sendProof(name, body, deps) {
    const { template, input } = await inputOf(name, body, deps);
    try {
      const proof = await sendProof(name, template, body.list!, input, { ...deps, proofLists: deps.proofLists() });
      deps.log.info('proof sent', { template: name, list: proof.list, recipients: proof.sent.length });
      return json(200, proof);
    } catch (error) {
      if (error instanceof ProofError) throw new HttpError(400, 'ValidationError', `${error.path}: ${error.message}`, [{ path: error.path, message: error.message }]);
      throw error;
    }
  },
};

export function createTemplateApiHandler(deps: TemplateApiDeps) {
  const operation = (event: APIGatewayProxyEventV2) => {
    const op = operationOf('templateApi', event);
    if (!op) throw new HttpError(404, 'NotFound', 'no such route');
    return op;
  };
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpHeaderNormalizer())
    .use(httpErrors(deps.log))
    .use(jsonBody<unknown>((_body, event) => (operation(event) === 'sendProof' ? proofSchema : previewSchema)))
    .handler(async (event) => OPERATIONS[operation(event)](event.pathParameters?.id ?? '', event.body as unknown as Body, deps));
}
