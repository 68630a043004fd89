// Runs ci/jenkins/vars/promote.groovy the way a Jenkins pipeline calls a shared-library step, with the pipeline
// steps it uses (libraryResource, withEnv, withCredentials, string, sh, error, env) done for real on this machine:
// `sh` runs the script with /bin/sh in the environment the enclosing withEnv/withCredentials blocks set.
//   groovy run_step.groovy LIBRARY_DIR ARGS_JSON CREDENTIALS_JSON
// Prints what the step's `sh` printed; exits with its status (or 2 when the step called error()).
import groovy.json.JsonSlurper

def library = new File(args[0])
Map stepArgs = new JsonSlurper().parseText(args[1])
Map credentials = new JsonSlurper().parseText(args[2])
def environment = new LinkedHashMap(System.getenv())
def binding = new Binding()

binding.setVariable('env', [BUILD_TAG: 'jenkins-promote-42', BUILD_URL: 'https://jenkins.example/job/promote/42/',
                            JOB_NAME: 'promote', GIT_COMMIT: '3f2c9a1d0b7e'])
binding.setVariable('libraryResource', { String path -> new File(library, "resources/" + path).text })
binding.setVariable('error', { String message -> System.err.println("ERROR: " + message); System.exit(2) })
binding.setVariable('string', { Map m -> m })
binding.setVariable('withEnv', { List vars, Closure body ->
    def saved = new LinkedHashMap(environment)
    vars.each { String v -> def i = v.indexOf('='); environment[v.substring(0, i)] = v.substring(i + 1) }
    try { body() } finally { environment.clear(); environment.putAll(saved) }
})
binding.setVariable('withCredentials', { List bindings, Closure body ->
    def saved = new LinkedHashMap(environment)
    bindings.each { Map b ->
        if (!credentials.containsKey(b.credentialsId)) { System.err.println("no credential ${b.credentialsId}"); System.exit(2) }
        environment[b.variable] = credentials[b.credentialsId]
    }
    try { body() } finally { environment.clear(); environment.putAll(saved) }
})
binding.setVariable('sh', { Map m ->
    def file = File.createTempFile('promote-step', '.sh')
    file.text = m.script
    def builder = new ProcessBuilder(['/bin/sh', file.path]).redirectErrorStream(false)
    builder.environment().clear()
    builder.environment().putAll(environment)
    def process = builder.start()
    process.waitForProcessOutput(System.out, System.err)
    int status = process.exitValue()
    file.delete()
    System.out.flush()
    if (status != 0) { System.err.println("script returned exit code ${status}"); System.exit(status) }
})

def step = new GroovyShell(binding).parse(new File(library, 'vars/promote.groovy'))
step.call(stepArgs)
