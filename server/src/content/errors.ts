/**
 * An entry that cannot become an article at all (no title, unreadable body). The message is shown
 * to editors as the publication's error, so it names the field and says what is wrong.
 */
export class ArticleError extends Error {
  readonly field?: string;

  constructor(message: string, field?: string) {
    super(message);
    this.name = 'ArticleError';
    this.field = field;
  }
}
