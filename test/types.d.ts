declare module 'asl-validator' {
  interface Result {
    isValid: boolean;
    errors: unknown[];
  }
  export default function validator(definition: unknown, options?: { checkArn?: boolean; checkPaths?: boolean }): Result;
}
