/**
 * The promise-returning file functions this project uses, made from node:fs's callback functions instead of
 * taken from node:fs/promises. Loading node:fs/promises also loads Node's readline, the fs watchers and the
 * FileHandle machinery, about 1 ms of start-up for every command that reads a file (every one: the config),
 * none of which they use (issue 14). Same signatures, same errors: util.promisify of the same functions.
 * Code that needs a FileHandle, streams or watchers imports node:fs/promises itself.
 */
import { mkdir as mkdirCb, mkdtemp as mkdtempCb, readdir as readdirCb, readFile as readFileCb, rename as renameCb, rm as rmCb, stat as statCb, writeFile as writeFileCb } from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import { promisify } from 'node:util';

export const readFile = promisify(readFileCb) as typeof FsPromises.readFile;
export const writeFile = promisify(writeFileCb) as typeof FsPromises.writeFile;
export const readdir = promisify(readdirCb) as typeof FsPromises.readdir;
export const stat = promisify(statCb) as typeof FsPromises.stat;
export const mkdir = promisify(mkdirCb) as typeof FsPromises.mkdir;
export const mkdtemp = promisify(mkdtempCb) as typeof FsPromises.mkdtemp;
export const rm = promisify(rmCb) as typeof FsPromises.rm;
export const rename = promisify(renameCb) as typeof FsPromises.rename;
