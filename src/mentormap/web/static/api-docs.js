// Starts Swagger UI on /api/docs (a file of its own: the pages allow no inline script).
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({ url: root.dataset.url, dom_id: "#swagger-ui", deepLinking: true });
});
