/** Tasks: the {@link dev.sedge.api.task.Task} SPI and the data it makes. */
package dev.sedge.api.task;
