/// The forge adapter: GitHub, GitLab, Gitea/Forgejo and Bitbucket over CurlHTTP.
public enum Forges {}
