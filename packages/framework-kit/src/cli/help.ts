// `help <cmd> <sub>` pages in the kafka-mesos layout: a title, `Usage: …`, the Option / Description table,
// `Generic Options` (`--api`), then free text such as expression examples.
import { formatOptionTable, type OptionHelp } from './table.js';

export interface HelpPage {
  /** E.g. `Add broker`. */
  title: string;
  /** E.g. `broker add <broker-expr> [options]`. */
  usage: string;
  options?: readonly OptionHelp[];
  /** Options every command takes; default just `--api`. */
  generic?: readonly OptionHelp[];
  /** Lines after the tables (examples, notes). */
  footer?: readonly string[];
}

export const API_OPTION: OptionHelp = { name: '--api', description: 'Api url. Example: http://master:7000' };

export function formatHelpPage(page: HelpPage): string {
  const parts = [`${page.title}\nUsage: ${page.usage}`];
  if (page.options !== undefined && page.options.length > 0) parts.push(formatOptionTable(page.options));
  parts.push(`Generic Options\n${formatOptionTable(page.generic ?? [API_OPTION])}`);
  if (page.footer !== undefined && page.footer.length > 0) parts.push(page.footer.join('\n'));
  return `${parts.join('\n\n')}\n`;
}
