/** Parses and normalizes a program spec, naming the field at fault. */
import { invalid } from '../lib/errors';
import { fen, parseFen } from '../lib/money';
import { parseJson, requireId, requireInt, requireOneOf, requireText } from '../lib/validate';
import { preset, PRESETS } from './presets';
import { milestoneProblem, wageDepositProblem } from './rules';
import { ApprovalPolicy, Limits, Milestone, ProgramSpec, SCENARIOS } from './types';

type Raw = Record<string, unknown>;
const obj = (v: unknown, field: string): Raw => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalid(field, `${field} must be an object`);
  return v as Raw;
};
const optFen = (v: unknown, field: string): string | undefined =>
  v === undefined || v === null || v === '' ? undefined : fen(parseFen(v, field));

function parsePolicy(v: unknown): ApprovalPolicy {
  const o = obj(v, 'policy');
  if (!Array.isArray(o.approvers) || o.approvers.length === 0 || o.approvers.length > 10)
    throw invalid('policy.approvers', 'policy.approvers must list 1-10 member handles');
  const approvers = o.approvers.map((a) => requireText(a, 'policy.approvers', 130));
  if (new Set(approvers).size !== approvers.length)
    throw invalid('policy.approvers', 'policy.approvers must not repeat a member');
  const required = requireInt(o.required, 'policy.required', 1, approvers.length);
  const out: ApprovalPolicy = { approvers, required };
  if (o.requiredAbove !== undefined)
    out.requiredAbove = requireInt(o.requiredAbove, 'policy.requiredAbove', required, approvers.length);
  return out;
}

function parseLimits(v: unknown): Limits {
  const o = obj(v ?? {}, 'limits');
  const out: Limits = {};
  for (const f of ['perPayment', 'perDay', 'personalPerPayment', 'approvalThreshold'] as const) {
    const x = optFen(o[f], `limits.${f}`);
    if (x !== undefined) out[f] = x;
  }
  if (o.wageGraceDays !== undefined) out.wageGraceDays = requireInt(o.wageGraceDays, 'limits.wageGraceDays', 0, 60);
  return out;
}

function parseMilestones(o: Raw): { milestones: Milestone[]; retentionBp: number } {
  if (o.preset !== undefined) {
    const name = requireOneOf(o.preset, PRESETS, 'preset');
    return preset(name, o.floors === undefined ? 0 : requireInt(o.floors, 'floors', 1, 300));
  }
  const list = o.milestones ?? [];
  if (!Array.isArray(list) || list.length > 20)
    throw invalid('milestones', 'milestones must be an array of at most 20');
  const milestones = list.map((m, i) => {
    const x = obj(m, `milestones[${i}]`);
    return {
      id: requireId(x.id, `milestones[${i}].id`),
      name: requireText(x.name, `milestones[${i}].name`, 128),
      capBp: requireInt(x.capBp, `milestones[${i}].capBp`, 0, 10000),
    };
  });
  const problem = milestoneProblem(milestones);
  if (problem) throw invalid('milestones', problem, 'INVALID_MILESTONES');
  return {
    milestones,
    retentionBp: o.retentionBp === undefined ? 0 : requireInt(o.retentionBp, 'retentionBp', 0, 10000),
  };
}

export function parseSpec(json: string): ProgramSpec {
  const o = obj(parseJson<unknown>(json, 'spec'), 'spec');
  const spec: ProgramSpec = {
    scenario: requireOneOf(o.scenario, SCENARIOS, 'scenario'),
    title: requireText(o.title, 'title', 256),
    party: requireText(o.party, 'party', 130),
    bank: requireText(o.bank, 'bank', 64),
    keyAmount: fen(parseFen(o.keyAmount, 'keyAmount', false)),
    policy: parsePolicy(o.policy),
    limits: parseLimits(o.limits),
    ...parseMilestones(o),
  };
  if (spec.scenario === 'migrant_wages' || o.contractValue !== undefined) {
    spec.contractValue = fen(parseFen(o.contractValue, 'contractValue'));
    const depositBp = o.depositBp === undefined ? 200 : requireInt(o.depositBp, 'depositBp', 0, 10000);
    const problem = wageDepositProblem(depositBp);
    if (problem) throw invalid('depositBp', problem);
    spec.depositBp = depositBp;
  }
  return spec;
}

/** The spec part of a stored program, for idempotent replays of createProgram. */
export const specOf = (p: ProgramSpec): ProgramSpec => ({
  scenario: p.scenario,
  title: p.title,
  party: p.party,
  bank: p.bank,
  keyAmount: p.keyAmount,
  policy: p.policy,
  limits: p.limits,
  milestones: p.milestones,
  retentionBp: p.retentionBp,
  ...(p.contractValue !== undefined ? { contractValue: p.contractValue, depositBp: p.depositBp } : {}),
});
