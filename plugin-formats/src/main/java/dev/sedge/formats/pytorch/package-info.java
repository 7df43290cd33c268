/**
 * The {@code pytorch} format: archives written by {@code torch.save} (zip, since torch 1.6), read
 * by a restricted unpickler written from scratch. It knows only the opcodes of plain data
 * (containers, numbers, strings) and an allowlist of globals needed to rebuild tensors; any other
 * global is refused by name, and nothing in a file is ever executed.
 */
package dev.sedge.formats.pytorch;
