// /admin/import/sample.csv — the documented sample file (docs/import), served
// as it is in the repository so the page's link and the docs never disagree.
// It holds no data of anyone's, so anyone may fetch it.
import sample from "../../docs/import/venues-sample.csv?raw";

export function loader() {
  return new Response(sample, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="flokk-lokaler-eksempel.csv"',
      "Cache-Control": "public, max-age=3600",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
