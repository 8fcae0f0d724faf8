// The part of jStat (no types of its own) that experiment results use.
declare module 'jstat' {
  interface Distribution {
    pdf(x: number, a: number, b: number): number;
    cdf(x: number, a: number, b: number): number;
    inv(p: number, a: number, b: number): number;
  }
  const jstat: { beta: Distribution; normal: Distribution; betaln(a: number, b: number): number };
  export default jstat;
}
