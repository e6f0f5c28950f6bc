{{/*
"A botfleet service": everything one of the six services needs, from its values block.
Call with (dict "root" $ "component" "fleet"). The six templates/<service>.yaml files are one
line each, so the architecture shows in `ls templates/` and the shape is written once.
*/}}
{{- define "botfleet.service" -}}
{{- $root := .root -}}
{{- $c := .component -}}
{{- $v := index $root.Values $c -}}
{{- $g := $root.Values.global -}}
{{- $name := include "botfleet.componentName" . -}}
{{- $ctx := dict "root" $root "component" $c -}}
{{- $autoscaled := and (has $c (list "fleet" "health")) $v.autoscaling $v.autoscaling.enabled -}}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $name }}
  labels:
    {{- include "botfleet.labels" $ctx | nindent 4 }}
{{- /* The services never call the Kubernetes API. */}}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "botfleet.labels" $ctx | nindent 4 }}
  {{- with $v.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $v.service.type }}
  selector:
    {{- include "botfleet.selectorLabels" $ctx | nindent 4 }}
  ports:
    {{- /* gRPC (HTTP/2 cleartext) and HTTP/1.1 (health, metrics) share the port. */}}
    - name: http
      port: {{ $v.port }}
      targetPort: http
      protocol: TCP
      appProtocol: kubernetes.io/h2c
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "botfleet.labels" $ctx | nindent 4 }}
spec:
  {{- if not $autoscaled }}
  replicas: {{ $v.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      {{- /* Never below the running capacity: bots on a stopped replica reconnect to the others. */}}
      maxUnavailable: 0
      maxSurge: 1
  selector:
    matchLabels:
      {{- include "botfleet.selectorLabels" $ctx | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "botfleet.labels" $ctx | nindent 8 }}
        {{- with $v.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        {{- if $g.metrics.prometheusAnnotations }}
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ $v.port | quote }}
        prometheus.io/path: /q/metrics
        {{- end }}
        {{- with $g.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ $name }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      {{- if $root.Values.global.image.pullSecrets }}
      {{- include "botfleet.imagePullSecrets" $root | nindent 6 }}
      {{- end }}
      {{- with ($v.priorityClassName | default $g.priorityClassName) }}
      priorityClassName: {{ . }}
      {{- end }}
      terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
      securityContext:
        {{- toYaml $g.podSecurityContext | nindent 8 }}
      {{- if $v.affinity }}
      affinity:
        {{- toYaml $v.affinity | nindent 8 }}
      {{- else if $g.podAntiAffinity }}
      affinity:
        podAntiAffinity:
          {{- if eq $g.podAntiAffinity "hard" }}
          requiredDuringSchedulingIgnoredDuringExecution:
            - topologyKey: kubernetes.io/hostname
              labelSelector:
                matchLabels:
                  {{- include "botfleet.selectorLabels" $ctx | nindent 18 }}
          {{- else }}
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels:
                    {{- include "botfleet.selectorLabels" $ctx | nindent 20 }}
          {{- end }}
      {{- end }}
      {{- if $g.topologySpread.enabled }}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: {{ $g.topologySpread.topologyKey }}
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "botfleet.selectorLabels" $ctx | nindent 14 }}
      {{- end }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if $root.Values.postgresql.enabled }}
      initContainers:
        {{- /* The chart's own PostgreSQL starts with the release: wait for it instead of crash-looping. */}}
        - name: wait-for-database
          image: {{ include "botfleet.postgresqlImage" $root }}
          imagePullPolicy: {{ $root.Values.postgresql.image.pullPolicy }}
          command: ["sh", "-c", "until pg_isready -q -h \"$PGHOST\" -p \"$PGPORT\"; do sleep 2; done"]
          env:
            - name: PGHOST
              value: {{ include "botfleet.databaseHost" $root }}
            - name: PGPORT
              value: {{ $g.database.port | quote }}
            {{- /* Else libpq looks up the pod's user, which the postgres image does not know. */}}
            - name: PGUSER
              value: postgres
          securityContext:
            {{- include "botfleet.containerSecurityContext" $root | nindent 12 }}
          resources:
            {{- toYaml $root.Values.postgresql.waitResources | nindent 12 }}
      {{- end }}
      containers:
        - name: {{ $c }}
          image: {{ include "botfleet.image" $ctx }}
          imagePullPolicy: {{ (($v.image | default dict).pullPolicy) | default $g.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $v.port }}
              protocol: TCP
          env:
            - name: QUARKUS_HTTP_HOST
              value: 0.0.0.0
            - name: QUARKUS_HTTP_PORT
              value: {{ $v.port | quote }}
            {{- /* Replaces the image's own JAVA_OPTS_APPEND, which carries the log manager Quarkus needs. */}}
            - name: JAVA_OPTS_APPEND
              value: {{ printf "-Djava.util.logging.manager=org.jboss.logmanager.LogManager %s" ($v.javaOpts | default $g.javaOpts) | trim | quote }}
            - name: BOTFLEET_DB_URL
              value: {{ include "botfleet.jdbcUrl" $root | quote }}
            - name: BOTFLEET_DB_USER
              value: {{ printf "%s%s" $g.database.rolePrefix $c | quote }}
            - name: BOTFLEET_DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {{ include "botfleet.databaseSecret" $root }}
                  key: {{ printf "%s-password" $c }}
            - name: BOTFLEET_SERVICE_KEY_FILE
              value: /etc/botfleet/service-key/{{ $g.serviceKeys.keyFileKey }}
            {{- /* Every service follows identity-service's key feed (WatchKeys). */}}
            - name: BOTFLEET_IDENTITY_HOST
              value: {{ include "botfleet.componentName" (dict "root" $root "component" "identity") }}
            - name: BOTFLEET_IDENTITY_PORT
              value: {{ $root.Values.identity.port | quote }}
            {{- range $callee := (include "botfleet.callees" $ctx | fromJsonArray) }}
            - name: QUARKUS_GRPC_CLIENTS_{{ upper $callee }}_HOST
              value: {{ include "botfleet.componentName" (dict "root" $root "component" $callee) }}
            - name: QUARKUS_GRPC_CLIENTS_{{ upper $callee }}_PORT
              value: {{ (index $root.Values $callee).port | quote }}
            {{- end }}
            {{- if eq $c "identity" }}
            {{- /* The six services' public keys, each read from that service's key Secret, joined into
                   the name:base64 list identity-service makes SERVICE identities of. Kubernetes
                   expands $(VAR) from variables defined above it. */}}
            {{- $entries := list }}
            {{- range $s := splitList " " (include "botfleet.serviceNames" $root) }}
            - name: BOTFLEET_PUBLIC_KEY_{{ upper $s }}
              valueFrom:
                secretKeyRef:
                  name: {{ include "botfleet.serviceKeySecret" (dict "root" $root "component" $s) }}
                  key: {{ $g.serviceKeys.publicKeyKey }}
            {{- $entries = append $entries (printf "%s:$(BOTFLEET_PUBLIC_KEY_%s)" $s (upper $s)) }}
            {{- end }}
            - name: BOTFLEET_IDENTITY_SERVICE_PUBLIC_KEYS
              value: {{ join "," $entries | quote }}
            - name: BOTFLEET_IDENTITY_BOOTSTRAP_TOKEN_FILE
              value: /var/run/botfleet/bootstrap/token
            {{- end }}
            - name: BOTFLEET_GREENHELIX_ENABLED
              value: {{ $g.greenhelix.enabled | quote }}
            {{- if $g.greenhelix.enabled }}
            - name: BOTFLEET_GREENHELIX_URL
              value: {{ $g.greenhelix.url | quote }}
            - name: BOTFLEET_GREENHELIX_API_KEY
              valueFrom:
                secretKeyRef:
                  name: {{ required "global.greenhelix.existingSecret is required when GreenHelix is enabled" $g.greenhelix.existingSecret }}
                  key: {{ $g.greenhelix.apiKeyKey }}
            {{- end }}
            {{- if $g.openTelemetry.endpoint }}
            - name: QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT
              value: {{ $g.openTelemetry.endpoint | quote }}
            - name: QUARKUS_OTEL_RESOURCE_ATTRIBUTES
              value: {{ printf "service.namespace=%s,deployment.environment=%s" $root.Release.Namespace ($g.openTelemetry.environment | default $root.Release.Name) | quote }}
            {{- end }}
            {{- with $g.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
            {{- with $v.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          startupProbe:
            {{- /* Covers the JVM start and the Flyway migrations, which run before the port opens. */}}
            httpGet:
              path: /q/health/started
              port: http
            periodSeconds: {{ $v.startupProbe.periodSeconds }}
            failureThreshold: {{ $v.startupProbe.failureThreshold }}
            timeoutSeconds: 3
          livenessProbe:
            httpGet:
              path: /q/health/live
              port: http
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            {{- /* Ready once the database answers and the key cache is loaded. */}}
            httpGet:
              path: /q/health/ready
              port: http
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 3
          {{- if $v.preStopSleepSeconds }}
          lifecycle:
            {{- /* Let the endpoints controller take the pod out of the Service before the JVM stops. */}}
            preStop:
              exec:
                command: ["sleep", {{ $v.preStopSleepSeconds | quote }}]
          {{- end }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- include "botfleet.containerSecurityContext" $root | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            - name: service-key
              mountPath: /etc/botfleet/service-key
              readOnly: true
            {{- if eq $c "identity" }}
            - name: bootstrap
              mountPath: /var/run/botfleet/bootstrap
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ $g.tmpSizeLimit }}
        - name: service-key
          secret:
            secretName: {{ include "botfleet.serviceKeySecret" $ctx }}
            defaultMode: 0440
            items:
              - key: {{ $g.serviceKeys.keyFileKey }}
                path: {{ $g.serviceKeys.keyFileKey }}
        {{- if eq $c "identity" }}
        {{- /* identity-service writes the one-time bootstrap token here on a fresh installation
               (docs/kubernetes.md); memory-backed, so it never reaches a node's disk. */}}
        - name: bootstrap
          emptyDir:
            medium: Memory
            sizeLimit: 1Mi
        {{- end }}
{{- if $v.podDisruptionBudget.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  labels:
    {{- include "botfleet.labels" $ctx | nindent 4 }}
spec:
  {{- if hasKey $v.podDisruptionBudget "minAvailable" }}
  minAvailable: {{ $v.podDisruptionBudget.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $v.podDisruptionBudget.maxUnavailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "botfleet.selectorLabels" $ctx | nindent 6 }}
{{- end }}
{{- if $autoscaled }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ $name }}
  labels:
    {{- include "botfleet.labels" $ctx | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ $name }}
  minReplicas: {{ $v.autoscaling.minReplicas }}
  maxReplicas: {{ $v.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $v.autoscaling.targetCPUUtilizationPercentage }}
  behavior:
    {{- /* Scaling down drops bot streams (they reconnect elsewhere): do it slowly. */}}
    scaleDown:
      stabilizationWindowSeconds: {{ $v.autoscaling.scaleDownStabilizationSeconds }}
      policies:
        - type: Pods
          value: 1
          periodSeconds: 120
{{- end }}
{{- if $g.networkPolicy.enabled }}
{{ include "botfleet.networkPolicy" $ctx }}
{{- end }}
{{- end -}}
