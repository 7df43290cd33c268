package dev.sedge.cli;

import java.util.List;

/** Left-aligned text columns separated by two spaces; the last column is never padded. */
final class TextColumns {

    private TextColumns() {
    }

    /**
     * @param rows rows of cells; every row has the same number of cells; not modified
     * @return one line per row, each ending in a newline
     */
    static String align(List<List<String>> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        int columns = rows.getFirst().size();
        int[] width = new int[columns];
        for (List<String> row : rows) {
            if (row.size() != columns) {
                throw new IllegalArgumentException("expected " + columns + " cells in every row, found " + row);
            }
            for (int c = 0; c < columns - 1; c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = row.get(c);
                line.append(cell);
                if (c < columns - 1) {
                    line.repeat(' ', width[c] - cell.length() + 2);
                }
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }
}
