{{/*
One service's NetworkPolicy: it accepts only its callers (the call graph), bots (only on the
services that have RPCs for bots), operators, the ingress controller and metrics scrapers; it
reaches only DNS, its callees, the database, and HTTPS/OpenTelemetry when it needs them.
NetworkPolicy works on ports, not on gRPC methods: which RPCs a bot may call on an allowed service
is enforced by the service's access rules (docs/protocol.md) and, at the edge, by the bots-only
routes of the Ingress/Gateway.
Call with (dict "root" $ "component" "fleet").
*/}}
{{- define "botfleet.networkPolicy" -}}
{{- $root := .root -}}
{{- $c := .component -}}
{{- $v := index $root.Values $c -}}
{{- $g := $root.Values.global -}}
{{- $np := $g.networkPolicy -}}
{{- $callers := list -}}
{{- range $s := splitList " " (include "botfleet.serviceNames" $root) -}}
{{- if has $c (include "botfleet.callees" (dict "root" $root "component" $s) | fromJsonArray) -}}
{{- $callers = append $callers $s -}}
{{- end -}}
{{- end -}}
{{- $botMethods := get (include "botfleet.botMethods" $root | fromJson) $c -}}
{{- $routed := or $root.Values.ingress.enabled $root.Values.gateway.enabled (and $root.Values.apiIngress.enabled (eq $c "fleet")) -}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "botfleet.componentName" . }}
  labels:
    {{- include "botfleet.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "botfleet.selectorLabels" . | nindent 6 }}
  policyTypes: ["Ingress", "Egress"]
  {{- if not (or $callers (and $botMethods $np.bots) $np.operators (and $routed $np.ingressController) $np.metricsScrapers) }}
  {{- /* Called by no service and no peer configured: reachable only through a port-forward. */}}
  ingress: []
  {{- else }}
  ingress:
    {{- if $callers }}
    - from:
        - podSelector:
            matchLabels:
              {{- include "botfleet.selectorLabels" (dict "root" $root) | nindent 14 }}
            matchExpressions:
              - key: app.kubernetes.io/component
                operator: In
                values: {{ toJson $callers }}
      ports:
        - port: {{ $v.port }}
          protocol: TCP
    {{- end }}
    {{- if and $botMethods $np.bots }}
    - from:
        {{- toYaml $np.bots | nindent 8 }}
      ports:
        - port: {{ $v.port }}
          protocol: TCP
    {{- end }}
    {{- with $np.operators }}
    - from:
        {{- toYaml . | nindent 8 }}
      ports:
        - port: {{ $v.port }}
          protocol: TCP
    {{- end }}
    {{- if and $routed $np.ingressController }}
    - from:
        {{- toYaml $np.ingressController | nindent 8 }}
      ports:
        - port: {{ $v.port }}
          protocol: TCP
    {{- end }}
    {{- with $np.metricsScrapers }}
    - from:
        {{- toYaml . | nindent 8 }}
      ports:
        - port: {{ $v.port }}
          protocol: TCP
    {{- end }}
  {{- end }}
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
      {{- with $np.dns }}
      to:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- $callees := include "botfleet.callees" . | fromJsonArray }}
    {{- range $callee := $callees }}
    - to:
        - podSelector:
            matchLabels:
              {{- include "botfleet.selectorLabels" (dict "root" $root "component" $callee) | nindent 14 }}
      ports:
        - port: {{ (index $root.Values $callee).port }}
          protocol: TCP
    {{- end }}
    - ports:
        - port: {{ $g.database.port }}
          protocol: TCP
      {{- if $root.Values.postgresql.enabled }}
      to:
        - podSelector:
            matchLabels:
              {{- include "botfleet.selectorLabels" (dict "root" $root "component" "postgresql") | nindent 14 }}
      {{- else if $np.database }}
      to:
        {{- toYaml $np.database | nindent 8 }}
      {{- end }}
    {{- /* GreenHelix, and for health-service the operators' webhooks: HTTPS outside the cluster. */}}
    {{- if or $g.greenhelix.enabled (eq $c "health") }}
    - ports:
        {{- range $np.externalEgress.ports }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
      {{- with $np.externalEgress.to }}
      to:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- end }}
    {{- if $g.openTelemetry.endpoint }}
    - ports:
        {{- range $np.openTelemetry.ports }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
      {{- with $np.openTelemetry.to }}
      to:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- end }}
    {{- with $np.extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}
