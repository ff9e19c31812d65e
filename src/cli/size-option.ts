import { InvalidArgumentError } from 'commander';
import { parseSize } from '../read-text-file.js';

/** A size option's value (`--max-input-size 512M`), in bytes; a usage error when it is none. */
export function sizeArgument(value: string): number {
  const bytes = parseSize(value);
  if (bytes === undefined) throw new InvalidArgumentError('expected a size in bytes, or with a suffix K, M, G or T (512M, 1G)');
  return bytes;
}
