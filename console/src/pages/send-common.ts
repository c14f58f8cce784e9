/** What every send mutation answers: the message, or why it was refused. */
export type Outcome = { __typename: string; messageId?: string; message?: string; field?: string };

export const tagsOf = (text: string): string[] | undefined => {
  const tags = text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return tags.length > 0 ? tags : undefined;
};
