// What an import did: every Pinpoint item it read (journey, activity, campaign, treatment, segment, template,
// endpoint) with its outcome, for migration-report.md (people) and migration-report.json (scripts). An item is
// carried unless something said otherwise; the worst thing said of it is its outcome, and every reason is kept.

export type Outcome = 'carried' | 'changed' | 'needs attention' | 'dropped';
export type ItemKind = 'journey' | 'activity' | 'campaign' | 'treatment' | 'segment' | 'email template' | 'sms template' | 'push template' | 'endpoint' | 'file';
const SEVERITY: Record<Outcome, number> = { carried: 0, changed: 1, 'needs attention': 2, dropped: 3 };

export interface Attention {
  /** The Pinpoint file and object: `journeys/welcome.json: journey jrn01 activity wait-1`. */
  where: string;
  what: string;
  outcome: Exclude<Outcome, 'carried'>;
}

export interface ReportItem {
  /** As exported: the journey or campaign Id, the activity key, the template name, the endpoint Id. */
  id: string;
  kind: ItemKind;
  /** The export file it was read from (with its line, for endpoints). */
  file: string;
  /** The journey an activity belongs to, the campaign of a treatment. */
  parent?: string;
  outcome: Outcome;
  /** What it became here (a workspace file, a step), when it became something. */
  to?: string;
  reasons: string[];
}

export class MigrationLog {
  readonly mapped: Record<string, number> = {};
  readonly attention: Attention[] = [];
  readonly notes: string[] = [];
  private readonly items = new Map<string, ReportItem>();

  count(kind: string, n = 1): void {
    this.mapped[kind] = (this.mapped[kind] ?? 0) + n;
  }

  /**
   * Registers a Pinpoint item (carried until said otherwise) and answers its `where`: what `attend` and the
   * others take, for the item itself or, with more words after it, a part of it (`<where> Limits`).
   */
  item(kind: ItemKind, id: string, file: string, options: { label?: string; parent?: string; to?: string } = {}): string {
    const where = `${file}: ${options.label ?? `${kind} ${id}`}`;
    if (!this.items.has(where)) this.items.set(where, { id, kind, file, ...(options.parent !== undefined ? { parent: options.parent } : {}), outcome: 'carried', ...(options.to ? { to: options.to } : {}), reasons: [] });
    return where;
  }

  /** What the item at `where` became here. */
  carriedTo(where: string, to: string): void {
    const item = this.itemAt(where);
    if (item) item.to = to;
  }

  /** A meaning this product cannot carry: a person must decide. */
  attend(where: string, what: string, outcome: Attention['outcome'] = 'needs attention'): void {
    this.attention.push({ where, what, outcome });
    const item = this.itemAt(where) ?? this.fileItem(where);
    if (SEVERITY[outcome] > SEVERITY[item.outcome]) item.outcome = outcome;
    if (!item.reasons.includes(what)) item.reasons.push(what);
  }

  /** Carried with a meaning that differs in a stated way. */
  change(where: string, what: string): void {
    this.attend(where, what, 'changed');
  }

  /** Not carried at all. */
  drop(where: string, what: string): void {
    this.attend(where, what, 'dropped');
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /** Every item, in file order. */
  entries(): ReportItem[] {
    return [...this.items.values()].sort((a, b) => a.file.localeCompare(b.file) || (a.parent ?? '').localeCompare(b.parent ?? '') || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
  }

  /** The item `where` names, or the one it is a part of (the longest registered prefix). */
  private itemAt(where: string): ReportItem | undefined {
    let best: string | undefined;
    for (const key of this.items.keys()) {
      if ((where === key || where.startsWith(`${key} `) || where.startsWith(`${key}.`)) && (best === undefined || key.length > best.length)) best = key;
    }
    return best === undefined ? undefined : this.items.get(best);
  }

  /** Something said of no registered item (a file not read, a line): an item of its own. */
  private fileItem(where: string): ReportItem {
    const file = where.split(': ')[0]!;
    const item: ReportItem = { id: where.slice(file.length + 2) || file, kind: 'file', file, outcome: 'carried', reasons: [] };
    this.items.set(where, item);
    return item;
  }
}

/** A name as an id of this product: lower case, a-z 0-9 and -, at most `max`; unique among `taken`. */
export function slug(name: string, taken: Set<string>, max = 48): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, max - 4)
      .replace(/-+$/, '') || 'item';
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/** An attribute name of this product (letters, digits, _; a letter first). */
export function attributeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^[^A-Za-z]+/, '');
  return (cleaned || 'attribute').slice(0, 64);
}

const SECTIONS: Array<{ outcome: Attention['outcome']; title: string; none: string }> = [
  { outcome: 'dropped', title: 'Dropped', none: 'Nothing.' },
  { outcome: 'needs attention', title: 'Needs attention', none: 'Nothing: everything had an equivalent.' },
  { outcome: 'changed', title: 'Changed', none: 'Nothing: every meaning was carried as it was.' },
];

export function renderReport(log: MigrationLog, title: string): string {
  const lines = [`# ${title}`, '', '## Mapped', '', '| what | count |', '| --- | --- |', ...Object.entries(log.mapped).map(([k, n]) => `| ${k} | ${n} |`), ''];
  const outcomes: Record<Outcome, number> = { carried: 0, changed: 0, 'needs attention': 0, dropped: 0 };
  for (const item of log.entries()) outcomes[item.outcome] += 1;
  lines.push('## Items', '', `Every Pinpoint item read, by its outcome (each with its reasons in migration-report.json): ${Object.entries(outcomes).map(([o, n]) => `${n} ${o}`).join(', ')}.`, '');
  for (const { outcome, title: heading, none } of SECTIONS) {
    const said = log.attention.filter((a) => a.outcome === outcome);
    lines.push(`## ${heading}`, '');
    if (said.length === 0) lines.push(none, '');
    else lines.push(`${said.length} item(s):`, '', ...said.map((a) => `- **${a.where}**: ${a.what}`), '');
  }
  if (log.notes.length > 0) lines.push('## Notes', '', ...log.notes.map((n) => `- ${n}`), '');
  return lines.join('\n');
}

/** migration-report.json: one entry per Pinpoint item, so a script can check that nothing went silently. */
export function reportJson(log: MigrationLog): string {
  const items = log.entries().map(({ reasons, ...item }) => ({ ...item, reason: reasons.join('; ') }));
  return `${JSON.stringify({ items, mapped: log.mapped, notes: log.notes }, null, 2)}\n`;
}
