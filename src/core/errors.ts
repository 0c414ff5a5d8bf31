/** Where a mistake was made, so that the message can point at it. */
export interface ErrorLocation {
  /** Construct path (`bookinfo/reviews`) or object reference (`VirtualService shop/reviews`). */
  readonly construct?: string;
  /** The property at fault, as the user wrote it (`versions[1].weight`). */
  readonly field?: string;
  /** What to do about it. */
  readonly fix?: string;
}

/**
 * An error the user can cause and fix. The message always reads
 * `<construct> <field>: <problem>. <fix>` so that it can be acted on without a stack trace.
 */
export class MeshformError extends Error {
  public readonly construct?: string;
  public readonly field?: string;
  public readonly fix?: string;
  /** For an error that gathers several (a chart's failed synth check): each one, with its construct. */
  public readonly problems: readonly MeshformProblem[];

  public constructor(problem: string, location: ErrorLocation = {}, problems: readonly MeshformProblem[] = []) {
    super(formatMessage(problem, location));
    this.name = 'MeshformError';
    this.construct = location.construct;
    this.field = location.field;
    this.fix = location.fix;
    this.problems = problems;
  }
}

/** One of the problems a MeshformError gathers. */
export interface MeshformProblem {
  /** Construct path of the object at fault. */
  readonly construct: string;
  /** What is wrong with it, with the code and field where the analyzer gave them. */
  readonly problem: string;
}

function formatMessage(problem: string, { construct, field, fix }: ErrorLocation): string {
  const where = [construct, field].filter((part) => part !== undefined && part !== '').join(' ');
  const sentence = problem.endsWith('.') ? problem : `${problem}.`;
  return `${where ? `${where}: ` : ''}${sentence}${fix ? ` ${fix}` : ''}`;
}
