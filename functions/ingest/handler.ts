// Placeholder until the handler lands in this same working session; infra synth needs the entry file.
export const handler = async (): Promise<never> => {
  throw new Error('not implemented yet');
};
