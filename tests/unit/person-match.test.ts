// Typed user names against the people directory: exact, suggested or nobody.
import { describe, expect, it } from 'vitest';
import { matchPerson } from '../../renderer/src/features/war-room/person-match';

const person = (handle: string | null, name: string, email = '') => ({ handle, name, email, phones: [{ label: 'mobile', number: '+1 555 0100' }] });
const directory = [
  person('ben.tran', 'Ben Tran', 'ben.tran@acme.io'),
  person('benedikt', 'Benedikt Maier'),
  person('alopez', 'Ana María López', 'ana.lopez@acme.io'),
  person(null, 'Front desk'),
];
const handles = (typed: string) => {
  const match = matchPerson(typed, directory);
  return match.kind === 'suggest' ? match.people.map((p) => p.handle) : match.kind === 'exact' ? [`=${match.person.handle}`] : match.kind;
};

describe('matchPerson', () => {
  it('finds a user name exactly, whatever the case', () => {
    expect(handles('ben.tran')).toEqual(['=ben.tran']);
    expect(handles(' Ben.Tran ')).toEqual(['=ben.tran']);
  });

  it('suggests the people a partial name may mean', () => {
    expect(handles('ben')).toEqual(['ben.tran', 'benedikt']);
    expect(handles('tran')).toEqual(['ben.tran']);
    expect(handles('Ben Tran')).toEqual(['ben.tran']);
    expect(handles('ana lopez')).toEqual(['alopez']);
    expect(handles('ana.lopez')).toEqual(['alopez']);
  });

  it('says when nobody matches, and says nothing without a directory or a name', () => {
    expect(handles('zoe')).toBe('none');
    expect(handles('Front desk')).toBe('none');
    expect(handles('')).toBe('empty');
    expect(matchPerson('ben', [person(null, 'Ben')]).kind).toBe('no-directory');
  });
});
