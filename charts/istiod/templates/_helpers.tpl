{{- define "istiod.suffix" -}}{{ if .Values.revision }}-{{ .Values.revision }}{{ end }}{{- end -}}
{{- define "istiod.rev" -}}{{ .Values.revision | default "default" }}{{- end -}}
{{- define "istiod.labels" -}}
{{- range $k, $v := .Values.commonLabels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
app: istiod
istio.io/rev: {{ include "istiod.rev" . | quote }}
{{- end -}}
{{- /*
The injector's webhooks as upstream's istiod chart renders them: one for namespaces that ask for injection, one for
pods that ask for it in namespaces that say nothing. .selector is "default" (istio-injection=enabled, and pods
labelled sidecar.istio.io/inject=true without istio.io/rev) or a revision or tag (istio.io/rev on the namespace or
on the pod).
*/ -}}
{{- define "istiod.webhook" -}}
{{- $default := eq .selector "default" }}
- name: {{ if $default }}namespace{{ else }}rev.namespace{{ end }}.sidecar-injector.istio.io
  {{- include "istiod.webhookCall" .root | nindent 2 }}
  namespaceSelector:
    matchExpressions:
      {{- if $default }}
      - key: istio-injection
        operator: In
        values: ["enabled"]
      {{- else }}
      - key: istio.io/rev
        operator: In
        values: [{{ .selector | quote }}]
      - key: istio-injection
        operator: DoesNotExist
      {{- end }}
  objectSelector:
    matchExpressions:
      - key: sidecar.istio.io/inject
        operator: NotIn
        values: ["false"]
- name: {{ if $default }}object{{ else }}rev.object{{ end }}.sidecar-injector.istio.io
  {{- include "istiod.webhookCall" .root | nindent 2 }}
  namespaceSelector:
    matchExpressions:
      - key: istio-injection
        operator: DoesNotExist
      - key: istio.io/rev
        operator: DoesNotExist
  objectSelector:
    matchExpressions:
      {{- if $default }}
      - key: sidecar.istio.io/inject
        operator: In
        values: ["true"]
      - key: istio.io/rev
        operator: DoesNotExist
      {{- else }}
      - key: sidecar.istio.io/inject
        operator: NotIn
        values: ["false"]
      - key: istio.io/rev
        operator: In
        values: [{{ .selector | quote }}]
      {{- end }}
{{- end -}}

{{- /* Where a webhook of the injector calls, what it takes, and how it fails: the same for each. */ -}}
{{- define "istiod.webhookCall" -}}
clientConfig:
  {{- with .Values.istiodRemote.injectionURL }}
  url: {{ . | quote }}
  {{- else }}
  service:
    name: istiod{{ include "istiod.suffix" . }}
    namespace: {{ .Release.Namespace }}
    path: /inject
    port: 443
  {{- end }}
rules:
  - operations: ["CREATE"]
    apiGroups: [""]
    apiVersions: ["v1"]
    resources: ["pods"]
failurePolicy: Fail
sideEffects: None
reinvocationPolicy: Never
admissionReviewVersions: ["v1"]
{{- end -}}

{{- /* As upstream: the injector of a namespace other than istio-system carries the namespace in its name. */ -}}
{{- define "istiod.injectorName" -}}
istio-sidecar-injector{{ include "istiod.suffix" . }}{{ if ne .Release.Namespace "istio-system" }}-{{ .Release.Namespace }}{{ end }}
{{- end -}}
{{- define "istiod.local" -}}{{ if not .Values.istiodRemote.enabled }}true{{ end }}{{- end -}}
