// The library remembers the names a file asks about; over an editing session that is every
// prefix the user typed. It must not grow for as long as the server runs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NemoLibrary } from '../../server/src/evaluate/nemo/library';

describe('the library between analyses', () => {
  it('forgets what it looked up once it remembers more than 10,000 names, and resolves them again alike', () => {
    const library = new NemoLibrary();
    const factory = library.member('nemo.collections.llm.llama3_8b', 'pretrain_recipe').value;
    assert.equal(factory?.kind, 'native');
    for (let i = 0; i < 10_000; i++) library.member('os', `environ_${i}`);
    library.classModel('NotAClass');
    assert.ok(library.rememberedNames > 10_000, `${library.rememberedNames} names remembered`);
    library.forgetIfFull();
    assert.equal(library.rememberedNames, 0);
    const again = library.member('nemo.collections.llm.llama3_8b', 'pretrain_recipe').value;
    assert.equal(again?.kind === 'native' && again.name, factory.kind === 'native' && factory.name);
    assert.equal(library.classModel('MegatronStrategy')?.name, 'MegatronStrategy');
  });

  it('keeps what it looked up below the limit', () => {
    const library = new NemoLibrary();
    for (let i = 0; i < 100; i++) library.member('os', `environ_${i}`);
    const remembered = library.rememberedNames;
    library.forgetIfFull();
    assert.equal(library.rememberedNames, remembered);
  });
});
