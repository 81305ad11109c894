// Saving core states through the journal: db.json is the state's data as plain JSON, and each
// journal entry is the rows the core's change log says were written (O(change), not O(data)).
import { dataChanges, dataToJson, primaryKeyFields, type State } from '../../core/index.ts';
import type { JournalCodec } from './journal-file.ts';
import { rowSegment } from './journal.ts';
import type { Operation } from './json-diff.ts';

const segment = (name: string) => name.replaceAll('~', '~0').replaceAll('/', '~1');

export const stateCodec: JournalCodec = {
  toJson: (value) => dataToJson((value as State).schema, (value as State).data),
  keys: (value) => primaryKeyFields((value as State).schema),
  diff(before, after) {
    const changes = dataChanges((before as State).data, (after as State).data);
    if (!changes) return undefined;
    const ops: Operation[] = [];
    for (const change of changes) {
      const path = `/${segment(change.collection)}/${rowSegment(change.key)}`;
      if (change.item) ops.push({ op: 'add', path, value: change.item });
      else if (change.existed) ops.push({ op: 'remove', path });
    }
    return ops;
  },
};
