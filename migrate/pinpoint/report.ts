// What an import did, for migration-report.md: what was mapped, and what needs a person's attention and why.

export interface Attention {
  /** The Pinpoint file and object: `journeys/welcome.json: activity wait-1`. */
  where: string;
  what: string;
}

export class MigrationLog {
  readonly mapped: Record<string, number> = {};
  readonly attention: Attention[] = [];
  readonly notes: string[] = [];

  count(kind: string, n = 1): void {
    this.mapped[kind] = (this.mapped[kind] ?? 0) + n;
  }

  attend(where: string, what: string): void {
    this.attention.push({ where, what });
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
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

export function renderReport(log: MigrationLog, title: string): string {
  const lines = [`# ${title}`, '', '## Mapped', '', '| what | count |', '| --- | --- |', ...Object.entries(log.mapped).map(([k, n]) => `| ${k} | ${n} |`), ''];
  lines.push('## Needs attention', '');
  if (log.attention.length === 0) lines.push('Nothing: everything had an equivalent.', '');
  else lines.push(`${log.attention.length} item(s):`, '', ...log.attention.map((a) => `- **${a.where}**: ${a.what}`), '');
  if (log.notes.length > 0) lines.push('## Notes', '', ...log.notes.map((n) => `- ${n}`), '');
  return lines.join('\n');
}
