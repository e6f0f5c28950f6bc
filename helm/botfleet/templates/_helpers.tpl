{{/*
Names, labels and the facts about the six services that several templates need.
*/}}

{{- define "botfleet.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-scoped prefix of every object; the release name alone when it already says botfleet. */}}
{{- define "botfleet.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "botfleet.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object. Call with (dict "root" $ "component" "fleet"); component may be empty. */}}
{{- define "botfleet.labels" -}}
helm.sh/chart: {{ include "botfleet.chart" .root }}
{{ include "botfleet.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: botfleet
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- with .root.Values.global.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The immutable subset of the labels, used in selectors. */}}
{{- define "botfleet.selectorLabels" -}}
app.kubernetes.io/name: {{ include "botfleet.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .component }}
app.kubernetes.io/component: {{ .component }}
{{- end }}
{{- end -}}

{{/* Name of one service's objects: <fullname>-<service>. */}}
{{- define "botfleet.componentName" -}}
{{- printf "%s-%s" (include "botfleet.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The six services, in start order (identity first: the others load their key caches from it). */}}
{{- define "botfleet.serviceNames" -}}
identity permission health fleet deploy billing
{{- end -}}

{{/*
Who calls whom (docs/architecture.md). Every service also follows identity-service's WatchKeys;
billing-service reads AuditService.GetGreenHelixUsage of all six. fleet calls deploy and billing
only for its REST gateway's deployment and cost routes (docs/rest-gateway.md).
*/}}
{{- define "botfleet.callees" -}}
{{- $graph := dict
  "identity" (list)
  "permission" (list "identity")
  "health" (list "identity")
  "fleet" (list "identity" "permission" "health" "deploy" "billing")
  "deploy" (list "identity" "fleet" "health")
  "billing" (list "identity" "permission" "health" "fleet" "deploy")
-}}
{{- toJson (get $graph .component) -}}
{{- end -}}

{{/*
The RPCs a bot calls, by service: those whose access rule admits a bot (bot_self) plus the public
enrollment RPCs (BootstrapAdmin is public too, but for the first operator, not for bots). The
chart's tests derive the same list from the protos and fail when the two differ.
*/}}
{{- define "botfleet.botMethods" -}}
{{- $methods := dict
  "identity" (list
    "botfleet.identity.v1.IdentityService/EnrollBot"
    "botfleet.identity.v1.IdentityService/EnrollBotWithGeneratedKey"
    "botfleet.identity.v1.IdentityService/GetIdentity"
    "botfleet.identity.v1.IdentityService/RegisterRotatedKey"
    "botfleet.identity.v1.IdentityService/CompleteKeyRotation")
  "permission" (list
    "botfleet.permission.v1.PermissionService/ListTiers"
    "botfleet.permission.v1.PermissionService/GetPermissions"
    "botfleet.permission.v1.PermissionService/CheckPermission"
    "botfleet.permission.v1.PermissionService/CheckPermissions"
    "botfleet.permission.v1.PermissionService/StreamPermissionChecks")
  "health" (list
    "botfleet.health.v1.FleetHealthService/StreamHeartbeats"
    "botfleet.health.v1.FleetHealthService/RecordHeartbeat"
    "botfleet.health.v1.FleetHealthService/GetBotHealth"
    "botfleet.health.v1.FleetHealthService/GetHeartbeatHistory"
    "botfleet.health.v1.FleetHealthService/GetSlaCompliance")
  "fleet" (list
    "botfleet.fleet.v1.FleetService/GetBot"
    "botfleet.fleet.v1.FleetService/StreamCommands")
  "deploy" (list)
  "billing" (list
    "botfleet.billing.v1.BillingService/ReportFills"
    "botfleet.billing.v1.BillingService/GetBotCostSummary"
    "botfleet.billing.v1.BillingService/CalculateRoi")
-}}
{{- toJson $methods -}}
{{- end -}}

{{/* The gRPC service (proto package and name) each botfleet service serves, for path routing. */}}
{{- define "botfleet.grpcServices" -}}
{{- toJson (dict
  "identity" "botfleet.identity.v1.IdentityService"
  "permission" "botfleet.permission.v1.PermissionService"
  "health" "botfleet.health.v1.FleetHealthService"
  "fleet" "botfleet.fleet.v1.FleetService"
  "deploy" "botfleet.deploy.v1.DeployService"
  "billing" "botfleet.billing.v1.BillingService") -}}
{{- end -}}

{{/* Image of one service: {registry}/{repository}/{service}-service:{tag}, or @digest. */}}
{{- define "botfleet.image" -}}
{{- $global := .root.Values.global.image -}}
{{- $own := (index .root.Values .component).image | default dict -}}
{{- $registry := $own.registry | default $global.registry -}}
{{- $repository := $own.repository | default (printf "%s/%s-service" $global.repository .component) -}}
{{- $prefix := ternary $repository (printf "%s/%s" $registry $repository) (empty $registry) -}}
{{- if $own.digest -}}
{{- printf "%s@%s" $prefix $own.digest -}}
{{- else -}}
{{- printf "%s:%s" $prefix (toString ($own.tag | default $global.tag | default .root.Chart.AppVersion)) -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the database passwords: the operator's, or the one the chart makes for its own PostgreSQL. */}}
{{- define "botfleet.databaseSecret" -}}
{{- if .Values.global.database.existingSecret -}}
{{- .Values.global.database.existingSecret -}}
{{- else -}}
{{- printf "%s-database" (include "botfleet.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "botfleet.databaseHost" -}}
{{- if .Values.postgresql.enabled -}}
{{- printf "%s-postgresql" (include "botfleet.fullname" .) -}}
{{- else -}}
{{- required "global.database.host is required when postgresql.enabled is false" .Values.global.database.host -}}
{{- end -}}
{{- end -}}

{{- define "botfleet.jdbcUrl" -}}
{{- $db := .Values.global.database -}}
{{- $url := printf "jdbc:postgresql://%s:%d/%s" (include "botfleet.databaseHost" .) (int $db.port) $db.name -}}
{{- if $db.parameters -}}
{{- printf "%s?%s" $url $db.parameters -}}
{{- else -}}
{{- $url -}}
{{- end -}}
{{- end -}}

{{/* The Secret with one service's key file and public key. */}}
{{- define "botfleet.serviceKeySecret" -}}
{{- $own := (index .root.Values .component).serviceKey | default dict -}}
{{- $own.existingSecret | default (printf "%s-%s-key" (include "botfleet.fullname" .root) .component) -}}
{{- end -}}

{{/* Container security context shared by every container the chart runs. */}}
{{- define "botfleet.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* imagePullSecrets of a pod spec, or nothing; call as {{- include "botfleet.imagePullSecrets" $ | nindent 6 }}. */}}
{{- define "botfleet.imagePullSecrets" -}}
imagePullSecrets:
{{- range .Values.global.image.pullSecrets }}
  - name: {{ . }}
{{- end }}
{{- end -}}

{{- define "botfleet.postgresqlImage" -}}
{{- $i := .Values.postgresql.image -}}
{{- printf "%s/%s:%s" $i.registry $i.repository $i.tag -}}
{{- end -}}

{{/*
The gRPC routes of the Ingress and the Gateway, as a list of {component, service, method}:
"all" routes each service's whole gRPC service (method empty); "bots" only the RPCs bots call.
Call with (dict "root" $ "routes" "all").
*/}}
{{- define "botfleet.grpcRoutes" -}}
{{- $grpc := include "botfleet.grpcServices" .root | fromJson -}}
{{- $bots := include "botfleet.botMethods" .root | fromJson -}}
{{- $routes := list -}}
{{- range $c := splitList " " (include "botfleet.serviceNames" .root) -}}
{{- if eq $.routes "all" -}}
{{- $routes = append $routes (dict "component" $c "service" (get $grpc $c) "method" "") -}}
{{- else -}}
{{- range $m := get $bots $c -}}
{{- $parts := splitList "/" $m -}}
{{- $routes = append $routes (dict "component" $c "service" (first $parts) "method" (last $parts)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toJson $routes -}}
{{- end -}}
