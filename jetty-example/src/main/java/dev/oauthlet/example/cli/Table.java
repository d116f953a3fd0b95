package dev.oauthlet.example.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table: a header, then rows, each column as wide as its widest cell, two spaces apart. */
final class Table {

    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(header);
    }

    void row(String... cells) {
        rows.add(cells);
    }

    void print(PrintWriter out) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], cell(r, i).length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                sb.append(cell(r, i));
                if (i < columns - 1) {
                    sb.append(" ".repeat(width[i] - cell(r, i).length() + 2));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    private static String cell(String[] row, int i) {
        return row[i] == null || row[i].isEmpty() ? "-" : row[i];
    }
}
