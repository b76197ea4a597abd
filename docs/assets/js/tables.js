// Make every plain content table sortable (vendored tablesort 5.7.0, MIT).
document$.subscribe(function () {
  var tables = document.querySelectorAll("article table:not([class])");
  tables.forEach(function (table) {
    if (!table.dataset.sortable) {
      new Tablesort(table);
      table.dataset.sortable = "1";
    }
  });
});
