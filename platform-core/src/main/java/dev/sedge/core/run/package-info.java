/**
 * The run directory, sedge's pivot format: everything that trains or imports writes one,
 * everything that analyses reads one. Every JSON file carries a {@code format_version} and snake_case names; readers
 * take every older version and refuse newer ones; every file is written atomically.
 */
package dev.sedge.core.run;
