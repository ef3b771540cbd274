import { readFileSync } from 'node:fs';

/**
 * The code blocks in `language` between the README's `<!-- marker … -->` and `<!-- /marker -->`,
 * exactly as written there: tests run the README's examples verbatim.
 */
export function readmeCodeBlocks(marker: string, language: string): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf(`<!-- ${marker}`), readme.indexOf(`<!-- /${marker} -->`));
  return [...section.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]);
}
