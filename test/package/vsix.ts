/** The packaged extension (`npm run package`): where it is and what is inside. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import yauzl from 'yauzl';
import { ROOT } from '../host/codeServer';

interface Manifest {
  name: string;
  version: string;
  publisher: string;
}

export const MANIFEST = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
export const VSIX = path.join(ROOT, `${MANIFEST.name}-${MANIFEST.version}.vsix`);

/** Every file in the VSIX with its contents. */
export function readVsix(file = VSIX): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const files = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(files));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
