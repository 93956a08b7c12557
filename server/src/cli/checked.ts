// What `check` found in one file: the input of every report format (text, JSON, SARIF, GitHub).
import type { Analysis } from '../analysis/analyze';

export interface CheckedFile {
  /** As named on the command line, or joined to the folder that was named. */
  path: string;
  /** The analysis, its diagnostics narrowed to the selected rules; absent when unreadable. */
  analysis?: Analysis;
  /** Why the file could not be read (`EACCES`, `broken symbolic link`). */
  unreadable?: string;
  /** The analysis threw: a bug of Recipe Lens. `analysis` says so, without diagnostics. */
  failed?: true;
}
