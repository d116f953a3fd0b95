package dev.oauthlet.wartest.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A resource behind the Bearer filter that takes {@code ?ms=N} milliseconds to answer, and says in
 * the container's log when it has begun and when it answers, so a stop test knows the request is in
 * flight at its signal and where the drain's end falls. It sleeps through interrupts, as a request
 * blocked on a slow backend would: only the end of the process cuts it.
 */
public class SlowServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long ms = Long.parseLong(req.getParameter("ms"));
        getServletContext().log("wartest: slow request of " + ms + " ms began");
        long until = System.nanoTime() + ms * 1_000_000;
        boolean interrupted = false;
        for (long left; (left = until - System.nanoTime()) > 0; ) {
            try {
                Thread.sleep(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        getServletContext().log("wartest: slow request of " + ms + " ms answers");
        resp.setContentType("text/plain");
        resp.getWriter().print("slept " + ms + " ms");
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
