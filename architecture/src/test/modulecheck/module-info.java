/** An application of the published modules, as a user on the module path writes one (ModulePathLaunchTest). */
module dev.oauthlet.modulecheck {
    requires dev.oauthlet.servlet;
    requires org.eclipse.jetty.ee10.servlet;
    requires org.eclipse.jetty.server;
    requires java.net.http;
}
