/**
 * The run directory, sedge's pivot format: everything that trains or imports writes one,
 * everything that analyses reads one. Every JSON file carries a {@code formatVersion}; readers
 * take every older version and refuse newer ones; every file is written atomically.
 */
package dev.sedge.core.run;
